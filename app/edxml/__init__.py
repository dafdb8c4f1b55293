"""Documents from the e-office: edXML packages (QCVN 102:2016/BTTTT) read within bounds
(``bounds.py``, ``stream.py``, ``package.py``), taken into the office's intake queue
(``intake.py``), and the status packages that tell the sender what became of them
(``status.py``, ``outbox.py``)."""
