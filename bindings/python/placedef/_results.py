"""Result objects of placedef's jobs. Each is a read-only mapping of the job's
fields (result["summary"], as before) and gives its tables as the command line
writes them: the engine writes the job's CSV (and, for a job with geometry, its
GeoPackage) as `-o` would, and pandas and GeoPandas read them back, so the
columns, rows and numbers are the command line's by construction.

pandas and GeoPandas are imported only when a table is asked for."""
import os
import re
import tempfile
from typing import Any, Dict, Iterator, List, Mapping, Optional

# Columns that hold codes and names: text even when every value looks like a
# number (footprint "1", a practice code "12345"), as in the GeoPackage.
_TEXT_COLUMNS = {
    "code", "name", "a_code", "a_name", "b_code", "b_name", "layer", "other_layer", "relation", "best", "best_name",
    "pieces", "also_within", "child_code", "child_name", "parent_code", "parent_name", "method", "note", "footprint",
    "footprint_a", "footprint_b", "block", "block_code", "block_name", "block_a", "block_b", "parent", "place",
    "proposal", "partner", "source", "split_units", "from_proposal", "to_proposal", "from_place", "from_name",
    "to_place", "to_name", "unit", "unit_name", "before", "before_places", "after", "after_places", "pcn_code",
    "pcn_name", "practice_code", "kind", "action", "file", "field", "detail", "area", "area_name", "placed", "valid",
}
_PROBLEM_COLUMNS = ["kind", "action", "file", "layer", "fid", "code", "field", "detail"]


def _import(name: str, purpose: str) -> Any:
    """Imports pandas or GeoPandas for `purpose`, with an error naming the package to install."""
    import importlib
    try:
        return importlib.import_module(name)
    except ImportError as error:
        raise ImportError(f"{purpose} needs the Python package '{name}', which is not installed "
                          f"(Debian: apt install python3-{name}; else pip install {name})") from error


# A number as the engine's writer leaves it unguarded (std::from_chars, finite).
_NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def unguard(cell: str) -> str:
    """A CSV cell as written, without the apostrophe placedef's writer puts before text
    that a spreadsheet would run as a formula (``'-4' is ...`` is written ``''-4' is ...``),
    as the engine's own table reader takes it off.

    >>> from placedef._results import unguard
    >>> unguard("''-4' is not a count"), unguard("'=1"), unguard("-12.5"), unguard("'plain")
    ("'-4' is not a count", '=1', '-12.5', "'plain")
    """
    if not cell.startswith("'"):
        return cell
    rest = cell[1:].lstrip("'")
    if rest and rest[0] in "=+-@\t\r" and not _NUMBER.fullmatch(rest):
        return cell[1:]
    return cell


def read_table(path: "os.PathLike[str] | str") -> Any:
    """A CSV written by placedef (or its command line) as a pandas DataFrame:
    codes and names as text, every other column that holds only numbers as numbers
    (empty cells NaN), the rest as text ("" for an empty cell), each cell as the engine
    wrote it (:func:`unguard`).

    >>> import placedef
    >>> result = placedef.overlay("shapefiles/ward_2025.gpkg@WD25CD", "shapefiles/ced_2025.gpkg")
    >>> result.write("out/doctest_overlay.csv")
    >>> placedef.read_table("out/doctest_overlay.csv").equals(result.to_pandas())
    True
    """
    pandas = _import("pandas", "placedef.read_table()")
    frame = pandas.read_csv(path, dtype=str, keep_default_na=False).applymap(unguard)
    for column in frame.columns:
        if column in _TEXT_COLUMNS:
            continue
        cells = frame[column]
        try:
            frame[column] = pandas.to_numeric(cells.where(cells != "", None), errors="raise")
        except (ValueError, TypeError):
            pass
    return frame


def _layers_in(path: str) -> List[str]:
    """The layers of a GeoPackage placedef wrote; layer_styles holds the QGIS styles of the others."""
    fiona = _import("fiona", "Reading placedef's layers")
    return [layer for layer in fiona.listlayers(path) if layer != "layer_styles"]


class Result(Mapping[str, Any]):
    """What a job returns: its fields as a read-only mapping (``result["summary"]``),
    its tables (:meth:`to_pandas`), its problems (:attr:`problems`) and :meth:`write`,
    which writes what the command line's ``-o`` writes.

    >>> import placedef
    >>> result = placedef.bestfit("shapefiles/ward_2025.gpkg@WD25CD", "shapefiles/lad_2021.gpkg")
    >>> sorted(result.tables())
    ['bestfit']
    >>> len(result.problems)
    0
    """

    _job = "result"

    def __init__(self, fields: Dict[str, Any]) -> None:
        self._fields = {key: value for key, value in fields.items() if key != "_writer"}
        self._writer: Any = fields.get("_writer")
        self._frames: Optional[Dict[str, Any]] = None

    def __getitem__(self, key: str) -> Any:
        return self._fields[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def __repr__(self) -> str:
        return f"<placedef.{type(self).__name__}: {', '.join(self._fields)}>"

    def write(self, path: "os.PathLike[str] | str") -> None:
        """Writes what ``-o path`` writes: a .csv gets the table (and its companion
        tables beside it), any other path (.gpkg, .shp, PG:...) the layers.

        >>> import placedef
        >>> placedef.bestfit("shapefiles/ward_2025.gpkg@WD25CD", "shapefiles/lad_2021.gpkg").write("out/doctest_bestfit.csv")
        >>> open("out/doctest_bestfit.csv").readline().strip()
        'child_code,child_name,parent_code,parent_name,method,share,ambiguous,note'
        """
        self._writer.write(path)

    def _tables(self) -> Dict[str, Any]:
        if self._frames is None:
            with tempfile.TemporaryDirectory(prefix="placedef-") as folder:
                self._writer.write(os.path.join(folder, self._job + ".csv"))
                self._frames = {}
                for file in sorted(os.listdir(folder)):
                    if file.endswith(".csv"):
                        self._frames[file[:-4]] = read_table(os.path.join(folder, file))
        return self._frames

    def tables(self) -> List[str]:
        """The names of the tables :meth:`to_pandas` gives: the job's (its name) and its
        companions (``footprints_membership``), as the command line names the files."""
        return list(self._tables())

    def to_pandas(self, table: Optional[str] = None) -> Any:
        """The job's table (or its companion ``table``, one of :meth:`tables`) as a
        pandas DataFrame with the columns, rows and numbers of the command line's CSV.

        >>> import placedef
        >>> lookup = placedef.bestfit("shapefiles/ward_2025.gpkg@WD25CD", "shapefiles/lad_2021.gpkg")
        >>> lookup.to_pandas().groupby("parent_name").size().to_dict()
        {'Guildford': 21, 'Waverley': 24}
        """
        frames = self._tables()
        name = table if table is not None else self._job
        if name not in frames:
            raise ValueError(f"{self._job} has no table '{name}'; it has {', '.join(frames)}")
        return frames[name].copy()

    @property
    def problems(self) -> Any:
        """The problems of the job's inputs and of the job, as a DataFrame with the
        columns of the command line's ``--problems`` CSV (kind, action, file, layer,
        fid, code, field, detail); ``fid`` is empty where a problem has none.

        >>> import placedef
        >>> result = placedef.pcn("shapefiles/gp_practices.gpkg@PRACTICE_CODE", "shapefiles/lad_2021.gpkg")
        >>> result.problems[["kind", "action", "code"]].values.tolist()
        [['practice_not_used', 'skipped', 'H81132']]
        """
        pandas = _import("pandas", ".problems")
        rows = [{column: problem[column] for column in _PROBLEM_COLUMNS} for problem in self._fields.get("problems", [])]
        frame = pandas.DataFrame(rows, columns=_PROBLEM_COLUMNS)
        frame["fid"] = frame["fid"].astype("Int64")
        return frame


class GeometryResult(Result):
    """A result with geometry: :meth:`to_geodataframe` reads its layers as GeoDataFrames.

    >>> import placedef
    >>> placedef.overlay("shapefiles/lad_2021.gpkg", "shapefiles/ced_2025.gpkg", geometry=True).layers()
    ['pieces']
    """

    _layer = ""
    _geopackage: "Optional[tempfile.TemporaryDirectory[str]]" = None

    def _written(self) -> str:
        """The GeoPackage the command line would write, written once (a folder removed with the result)."""
        if self._geopackage is None:
            folder = tempfile.TemporaryDirectory(prefix="placedef-")
            self._writer.write(os.path.join(folder.name, self._job + ".gpkg"))
            self._geopackage = folder
        return os.path.join(self._geopackage.name, self._job + ".gpkg")

    def layers(self) -> List[str]:
        """The layers of the GeoPackage the command line would write (those with
        geometry, and the tables beside them), for :meth:`to_geodataframe`."""
        return _layers_in(self._written())

    def to_geodataframe(self, layer: Optional[str] = None) -> Any:
        """The job's layer (or ``layer``, one of :meth:`layers`) as the command line
        writes it into a GeoPackage, as a GeoDataFrame in the study CRS.

        >>> import placedef
        >>> pcn = placedef.pcn("shapefiles/gp_practices.gpkg@PRACTICE_CODE", "shapefiles/lad_2021.gpkg")
        >>> frame = pcn.to_geodataframe()
        >>> len(frame), frame.crs.to_epsg()
        (6, 27700)
        """
        geopandas = _import("geopandas", ".to_geodataframe()")
        name = layer if layer is not None else self._layer
        names = self.layers()
        if name not in names:
            raise ValueError(f"{self._job} has no layer '{name}'; it has {', '.join(names)}")
        return geopandas.read_file(self._written(), layer=name)


class OverlayResult(GeometryResult):
    """:func:`placedef.overlay`'s intersection table; with ``geometry=True`` (or a
    GeoPackage output) its pieces too, as the layer ``pieces``.

    >>> import placedef
    >>> result = placedef.overlay("shapefiles/ward_2025.gpkg@WD25CD", "shapefiles/ced_2025.gpkg", geometry=True)
    >>> list(result.to_pandas().columns)
    ['a_code', 'a_name', 'b_code', 'b_name', 'area_m2', 'share_of_a', 'share_of_b']
    >>> len(result.to_geodataframe()) == len(result.to_pandas())
    True
    """

    _job = "overlay"
    _layer = "pieces"

    def to_geodataframe(self, layer: Optional[str] = None) -> Any:
        if not self._fields["summary"]["has_geometry"]:
            raise ValueError("this overlay kept no pieces' polygons: call overlay(..., geometry=True) for them")
        return super().to_geodataframe(layer)

    to_geodataframe.__doc__ = GeometryResult.to_geodataframe.__doc__


class AlignResult(Result):
    """:func:`placedef.align`'s per-unit report (one row per unit of A, then of B)
    and the layer scores both ways (``result["a_in_b"]``, ``result["text"]``).

    >>> import placedef
    >>> report = placedef.align("shapefiles/ward_2025.gpkg@WD25CD", "shapefiles/ced_2025.gpkg")
    >>> report.to_pandas().groupby("layer").size().to_dict()
    {'ced_2025': 19, 'ward_2025': 45}
    """

    _job = "align"


class BestFitResult(Result):
    """:func:`placedef.bestfit`'s lookup: one row per child unit.

    >>> import placedef
    >>> lookup = placedef.bestfit("shapefiles/ward_2025.gpkg@WD25CD", "shapefiles/lad_2021.gpkg")
    >>> list(lookup.to_pandas().columns)
    ['child_code', 'child_name', 'parent_code', 'parent_name', 'method', 'share', 'ambiguous', 'note']
    """

    _job = "bestfit"


class MatrixResult(Result):
    """:func:`placedef.matrix`'s scores: one row per ordered pair of layers.

    >>> import placedef
    >>> scores = placedef.matrix(["shapefiles/ward_2025.gpkg@WD25CD", "shapefiles/lad_2021.gpkg"])
    >>> len(scores.to_pandas())
    4
    """

    _job = "matrix"


class PcnResult(GeometryResult):
    """:func:`placedef.pcn`'s footprints (``to_pandas()``, ``to_geodataframe()``)
    and its practices and blocks (``to_geodataframe("practices")``).

    >>> import placedef
    >>> pcn = placedef.pcn("shapefiles/gp_practices.gpkg@PRACTICE_CODE", "shapefiles/lad_2021.gpkg")
    >>> sorted(pcn.layers())
    ['pcn_footprints', 'practices']
    """

    _job = "pcn"
    _layer = "pcn_footprints"


class FootprintsResult(GeometryResult):
    """:func:`placedef.footprints`' footprints (their metrics in ``to_pandas()``,
    their polygons in ``to_geodataframe()``), the blocks' membership
    (``to_geodataframe("membership")``) and, for an ensemble, the companion tables
    ``footprints_membership`` and ``footprints_boundary_frequency``.

    >>> import placedef
    >>> result = placedef.footprints("shapefiles/lsoa_2011.gpkg", method="skater", k=4, attributes={"IMD_rank": range(166)})
    >>> result.to_pandas()["blocks"].sum()
    166
    """

    _job = "footprints"
    _layer = "footprints"


class ComparisonResult(GeometryResult):
    """:func:`placedef.compare`'s scorecard (``to_pandas()``), its companion tables
    (``comparison_proposals``, ``comparison_places``, ``comparison_moves``,
    ``comparison_partner_changes``) and its layers: each proposal's places and the
    ``differences`` between them.

    >>> import placedef
    >>> people = placedef.Population("shapefiles/lsoa_2011.gpkg", table="shapefiles/population_mid2020_lsoa11.csv",
    ...                              column="total_population", key="lsoa11_code")
    >>> result = placedef.compare("shapefiles/lsoa_2011.gpkg", ["shapefiles/lad_2021.gpkg"], ["shapefiles/ced_2025.gpkg"],
    ...                           population=people)
    >>> result.to_pandas()[["proposal", "partner"]].values.tolist()
    [['lad_2021', 'ced_2025']]
    """

    _job = "comparison"
    _layer = "differences"


class FlowsResult(GeometryResult):
    """:func:`placedef.flows`' areas (``to_pandas()``: the command line's areas CSV;
    ``to_geodataframe()``: their polygons), the units' ``membership`` (their area and
    how they were placed) and the ``reserve``: the units set aside and the area each
    was placed in at the end ("" when it touched none).

    >>> import placedef
    >>> wards = placedef.Layer.open("shapefiles/ward_2025.gpkg@WD25CD")
    >>> with open("out/doctest_flows.csv", "w") as table:
    ...     _ = table.write("home,work,people\\n" + "".join(f"{c},{c},5000\\n" for c in wards.codes))
    >>> areas = placedef.flows(wards, "out/doctest_flows.csv")
    >>> sorted(areas.tables()), areas.layers()
    (['areas', 'membership', 'reserve'], ['areas', 'membership'])
    """

    _job = "areas"
    _layer = "areas"

    def _tables(self) -> Dict[str, Any]:
        if self._frames is not None:
            return self._frames
        frames = super()._tables()
        # The command line names the membership after the areas' CSV (areas_membership.csv).
        frames["membership"] = frames.pop(self._job + "_membership")
        pandas = _import("pandas", ".to_pandas()")
        frames["reserve"] = pandas.DataFrame(self._fields["reserve"], columns=["unit", "area"], dtype=str)
        return frames
