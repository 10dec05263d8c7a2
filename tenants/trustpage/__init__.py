"""The trust's own public page: its editable blocks and the stories of past trainees."""
