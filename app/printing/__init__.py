"""Office files: the printed table's layout (fonts, widths, wrapped heights), the
letterhead, and the XLSX/DOCX/CSV writers every report and export uses."""
