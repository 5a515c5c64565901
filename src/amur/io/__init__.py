"""Readers and writers: network folders of CSV files, GeoPackage and GeoJSON."""

from amur.io.csv import read_network, write_network
from amur.io.geo import read_geo, write_geo

__all__ = ["read_geo", "read_network", "write_geo", "write_network"]
