"""zcprep: prepare 职称评审 submissions — check, bind, render, roster."""

__version__ = "0.1.0"
