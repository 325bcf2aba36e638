"""django-ninja schemas of the facilities app."""
