"""Write the bundled country outlines, src/amur/web/static/countries.geojson.

From Natural Earth's 1:110m Admin 0 countries (public domain; /work/shared/basemap by
default): name, ISO 3166-1 alpha-3 and alpha-2 codes (alpha-2 from pycountry, by alpha-3
code or, where Natural Earth has -99, by name), coordinates rounded to 0.001 degree (about
100 m). The web map draws them; the OSM importer places border crossings with them.

    python tools/build_countries.py [BASEMAP.geojson]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pycountry

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent.parent / "shared" / "basemap" / "ne_110m_countries.geojson"
OUT = ROOT / "src" / "amur" / "web" / "static" / "countries.geojson"
#: Kosovo has no ISO 3166-1 code; XK is the user-assigned code the EU and IMF use.
EXTRA = {"Kosovo": ("XKX", "XK")}


def _codes(props: dict[str, Any]) -> tuple[str, str]:
    a3 = str(props.get("iso_a3") or props.get("ISO_A3") or "")
    name = str(props.get("name") or props.get("NAME") or "")
    if name in EXTRA:
        return EXTRA[name]
    country = pycountry.countries.get(alpha_3=a3) if a3 and a3 != "-99" else None
    if country is None:
        try:
            country = pycountry.countries.lookup(name)
        except LookupError:
            return "", ""
    return country.alpha_3, country.alpha_2


def _round(coords: Any) -> Any:
    if isinstance(coords[0], (int, float)):
        return [round(float(v), 3) for v in coords]
    return [_round(c) for c in coords]


def main(path: Path = DEFAULT) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    features = []
    for f in data["features"]:
        props = f["properties"]
        a3, a2 = _codes(props)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "name": str(props.get("name") or props.get("NAME") or ""),
                    "iso_a3": a3,
                    "iso_a2": a2,
                },
                "geometry": {
                    "type": f["geometry"]["type"],
                    "coordinates": _round(f["geometry"]["coordinates"]),
                },
            }
        )
    out = {"type": "FeatureCollection", "features": features}
    OUT.write_text(json.dumps(out, separators=(",", ":")), encoding="utf-8")
    missing = [f["properties"]["name"] for f in features if not f["properties"]["iso_a2"]]
    print(f"{OUT}: {len(features)} countries; without an ISO code: {', '.join(missing)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
