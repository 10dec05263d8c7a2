"""The coordinator workspace: applications per cohort, the application page, the dashboard."""
