"""Office files: every XLSX, DOCX and CSV the product writes, laid out alike.

``measure`` (fonts, text widths, wrapping, column widths), ``letterhead`` (the heading block),
``cells`` (a value as printed, CSV fields), ``columns`` (the column specification and the task
columns several tables share), ``xlsx`` (workbooks: heading, header row, print setup, widths and
heights, cells that never run as formulas), ``docx`` (Word documents). A service layer: features
import it and declare their own tables; it imports no feature.
"""
