"""Documents with their tasks on one page, and the spreadsheet import."""
