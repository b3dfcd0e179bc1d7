"""Mesoclinic: software for mesotherapy clinics."""

__version__ = "0.1.0"
