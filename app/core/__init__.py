"""Rules every feature shares: the as-of classification, deadlines and the working-day
calendar, who may see what, units as of a date, text folding, clocks, office settings."""
