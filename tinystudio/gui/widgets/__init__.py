"""Reusable Qt widgets shared by the step pages (plots, heatmaps, forms)."""
