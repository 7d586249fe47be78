"""Shared, small, heavily tested normalisers: text, money, years, dates, targets."""
