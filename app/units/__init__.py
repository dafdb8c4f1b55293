"""Units over time: what they were called and which tasks they led on a date (``as_of``),
and the organisation changes that rename, merge, split or dissolve them (``reorganise``)."""
