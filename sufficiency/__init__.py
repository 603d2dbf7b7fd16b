"""Sufficiency: demand, supply and gaps by council area, and market position statements."""
