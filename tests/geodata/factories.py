"""Boundary files for import tests: GeoJSON features shaped like the KOSTAT ones, and writers."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import factory


def square(lon: float, lat: float, size: float) -> dict:
    """A counter-clockwise square polygon with its south-west corner at (lon, lat)."""
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


class BoundaryFeatureFactory(factory.DictFactory):
    """A GeoJSON feature with KOSTAT's properties (code, name, name_eng, base_year) and a square."""

    class Params:
        code = factory.Sequence(lambda n: f"{2100000 + n:07d}")
        name = factory.LazyAttribute(lambda o: f"시험{o.code}동")
        name_eng = factory.LazyAttribute(lambda o: f"Test{o.code}-dong")
        base_year = "2023"
        lon = 127.0
        lat = 37.0
        size = 0.01

    type = "Feature"
    properties = factory.LazyAttribute(
        lambda o: {"code": o.code, "name": o.name, "name_eng": o.name_eng, "base_year": o.base_year}
    )
    geometry = factory.LazyAttribute(lambda o: square(o.lon, o.lat, o.size))


def write_geojson(path: Path, features: list[dict]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False), encoding="utf-8")
    return path


def write_topojson(path: Path, code: str, name: str, ring: list[list[float]], base_year: str = "2023") -> Path:
    """A one-polygon TopoJSON without a transform (so the arc holds absolute coordinates) or a CRS."""
    topology = {
        "type": "Topology",
        "objects": {
            "units": {
                "type": "GeometryCollection",
                "geometries": [
                    {
                        "type": "Polygon",
                        "arcs": [[0]],
                        "properties": {"code": code, "name": name, "name_eng": name, "base_year": base_year},
                    }
                ],
            }
        },
        "arcs": [ring],
    }
    path.write_text(json.dumps(topology, ensure_ascii=False), encoding="utf-8")
    return path


def write_shapefile(path: Path, features: list[dict], *, source_srs: str = "EPSG:4326", target_srs: str | None = None,
                    keep_prj: bool = True) -> Path:
    """A Shapefile through ogr2ogr from GeoJSON features (reprojected when target_srs is given)."""
    source = write_geojson(path.with_suffix(".source.geojson"), features)
    command = ["ogr2ogr", "-f", "ESRI Shapefile", "-lco", "ENCODING=UTF-8"]
    command += ["-s_srs", source_srs, "-t_srs", target_srs] if target_srs else ["-a_srs", source_srs]
    subprocess.run([*command, str(path), str(source)], check=True, capture_output=True)
    source.unlink()
    if not keep_prj:
        path.with_suffix(".prj").unlink()
    return path
