"""Places, training and outcomes: offers up to capacity, attendance, placement hours, outcomes."""
