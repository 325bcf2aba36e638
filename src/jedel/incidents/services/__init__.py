"""Writes of the incidents app: incidents (`incidents.py`) and casualties (`casualties.py`)."""
