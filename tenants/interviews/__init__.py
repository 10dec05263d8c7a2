"""Interviews: slots in a cohort's interview week, self-booking, panels and interview records."""
