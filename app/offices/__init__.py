"""Offices in one installation: the list, creating one, the two levels (tasks passed down to
a commune's office, its work read by the office above), an office ending and handing over."""
