"""placedef: define places from boundary layers: overlay, co-terminosity, best fits,
PCN and town footprints, proposals compared, and functional areas from commuting flows.

The jobs mirror the command line (overlay, align, bestfit, matrix, pcn, footprints,
compare, flows) and return result objects: ``.to_pandas()`` gives the table the command
line's CSV holds (same columns, rows and numbers), ``.to_geodataframe()`` the layer its
GeoPackage holds, ``.problems`` the problems as a DataFrame, and ``result["..."]`` the
job's fields. A layer argument is a :class:`Layer`, a path or address (``str`` or
``os.PathLike``: ``"lad.gpkg@LAD21CD,LAD21NM"``) or a GeoDataFrame (read with its CRS
by the same rules as a file). Errors: FileNotFoundError for a missing input,
ValueError for bad options and unusable input, OSError for an output, all of them
:class:`placedef.Error` subclasses; Ctrl-C raises KeyboardInterrupt within a second.

>>> import placedef
>>> result = placedef.overlay("shapefiles/ward_2025.gpkg@WD25CD", "shapefiles/ced_2025.gpkg")
>>> result.to_pandas().shape
(156, 7)
"""
from typing import Any, Callable, Dict, Sequence, Tuple, TypeVar

from . import _placedef
from ._errors import (CancelledError, Error, InputError, InternalError, MissingFileError, OptionError, OutputError,
                      ReadError, TopologyError)
from ._hooks import hooks
from ._placedef import Layer, Population, __version__
from ._results import (AlignResult, BestFitResult, ComparisonResult, FlowsResult, FootprintsResult, GeometryResult,
                       MatrixResult, OverlayResult, PcnResult, Result, read_table)

__all__ = [
    "Layer", "Population", "version", "__version__", "hooks", "read_table",
    "info", "overlay", "align", "bestfit", "matrix", "pcn", "footprints", "contiguity", "deprivation", "compare",
    "flows",
    "Result", "GeometryResult", "OverlayResult", "AlignResult", "BestFitResult", "MatrixResult", "PcnResult",
    "FootprintsResult", "ComparisonResult", "FlowsResult",
    "Error", "OptionError", "InputError", "ReadError", "MissingFileError", "TopologyError", "InternalError",
    "OutputError", "CancelledError",
]


def version() -> str:
    """placedef's version (the C library's, as ``placedef --version`` prints it).

    >>> import placedef
    >>> placedef.version() == placedef.__version__
    True
    """
    return str(_placedef.version())


def _is_geodataframe(value: Any) -> bool:
    # By name, so that GeoPandas is imported only by those who pass one.
    return any(cls.__name__ == "GeoDataFrame" and cls.__module__.startswith("geopandas")
               for cls in type(value).__mro__)


def _as_layers(value: Any, argument: str, study_crs: str) -> Any:
    """`value` with each GeoDataFrame in it (alone, or in a list or tuple) made a Layer named `argument`."""
    if _is_geodataframe(value):
        return Layer.from_geodataframe(value, name=argument, study_crs=study_crs)
    if isinstance(value, (list, tuple)):
        return type(value)(_as_layers(item, argument, study_crs) for item in value)
    return value


def _inputs(names: Sequence[str], args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Tuple[Tuple[Any, ...], Dict[str, Any]]:
    study_crs = kwargs.get("study_crs", "EPSG:27700")
    args = tuple(_as_layers(value, names[i] if i < len(names) else f"argument {i + 1}", study_crs)
                 for i, value in enumerate(args))
    return args, {key: _as_layers(value, key, study_crs) for key, value in kwargs.items()}


for _type in (Layer, Population):
    _type.__module__ = __name__

_Job = TypeVar("_Job", bound=Callable[..., Any])


def _job(native: Callable[..., Any], names: Sequence[str], result: Any = None) -> Callable[[_Job], _Job]:
    """Makes the decorated stub call `native` with GeoDataFrames made layers, and
    wraps what it returns in `result`; the stub gives the name and the docstring."""
    def decorate(stub: _Job) -> _Job:
        def call(*args: Any, **kwargs: Any) -> Any:
            args, kwargs = _inputs(names, args, kwargs)
            fields = native(*args, **kwargs)
            return result(fields) if result is not None else fields
        call.__name__ = call.__qualname__ = stub.__name__
        call.__doc__ = stub.__doc__ + "\n\nArguments and defaults: " + (native.__doc__ or "").split("\n")[0]
        call.__module__ = __name__
        return call  # type: ignore[return-value]
    return decorate


@_job(_placedef.info, ["layer"])
def info(*args: Any, **kwargs: Any) -> Any:
    """What ``placedef info`` prints about a layer, as a dict: kind, feature counts,
    code column, CRS, extent, area, vertices and problems.

    >>> import placedef
    >>> placedef.info("shapefiles/lad_2021.gpkg")["code_column"]
    'LAD21CD'
    """


@_job(_placedef.overlay, ["a", "b"], OverlayResult)
def overlay(*args: Any, **kwargs: Any) -> Any:
    """``placedef overlay A B``: every pair of units of a and b whose intersection has
    positive area, with its area and shares (and people, with ``population=``);
    ``geometry=True`` keeps each piece's polygon for ``to_geodataframe()``.

    >>> import placedef
    >>> pieces = placedef.overlay("shapefiles/ward_2025.gpkg@WD25CD", "shapefiles/ced_2025.gpkg", geometry=True)
    >>> frame = pieces.to_geodataframe()
    >>> frame[frame.share_of_a > 0.995].a_code.nunique()
    30
    """


@_job(_placedef.align, ["a", "b"], AlignResult)
def align(*args: Any, **kwargs: Any) -> Any:
    """``placedef align A B``: each unit's relation to the other layer (co-terminous,
    nested, built from, split, outside) and the layer scores both ways.

    >>> import placedef
    >>> report = placedef.align("shapefiles/ward_2025.gpkg@WD25CD", "shapefiles/ced_2025.gpkg")
    >>> report.to_pandas().query("layer == 'ward_2025'").relation.value_counts().to_dict()
    {'nested': 30, 'split': 15}
    """


@_job(_placedef.bestfit, ["child", "parent"], BestFitResult)
def bestfit(*args: Any, **kwargs: Any) -> Any:
    """``placedef bestfit CHILD PARENT``: each child unit assigned to one parent unit
    (``method="area"``, ``"centroid"`` or ``"population"``).

    >>> import placedef
    >>> lookup = placedef.bestfit("shapefiles/ward_2025.gpkg@WD25CD", "shapefiles/lad_2021.gpkg")
    >>> lookup.to_pandas().ambiguous.sum()
    0
    """


@_job(_placedef.matrix, ["layers"], MatrixResult)
def matrix(*args: Any, **kwargs: Any) -> Any:
    """``placedef matrix LAYER...``: the co-terminosity scores of every ordered pair of layers.

    >>> import placedef
    >>> scores = placedef.matrix(["shapefiles/ward_2025.gpkg@WD25CD", "shapefiles/lad_2021.gpkg"])
    >>> scores.to_pandas().columns[:2].tolist()
    ['layer', 'other_layer']
    """


@_job(_placedef.pcn, ["practices", "clip"], PcnResult)
def pcn(*args: Any, **kwargs: Any) -> Any:
    """``placedef pcn PRACTICES --clip CLIP``: PCN footprints from GP practice points
    (``method="voronoi"``, ``"blocks"`` or ``"registered"``).

    >>> import placedef
    >>> result = placedef.pcn("shapefiles/gp_practices.gpkg@PRACTICE_CODE", "shapefiles/lad_2021.gpkg")
    >>> len(result.to_pandas())
    6
    """


@_job(_placedef.footprints, ["blocks"], FootprintsResult)
def footprints(*args: Any, **kwargs: Any) -> Any:
    """``placedef footprints BLOCKS``: town footprints, contiguous groups of blocks
    (``method="skater"``, ``"redcap"``, ``"maxp"``, ``"azp"`` or ``"seeded"``).

    >>> import placedef
    >>> result = placedef.footprints("shapefiles/lsoa_2011.gpkg", method="redcap", k=6, attributes={"IMD_rank": range(166)})
    >>> len(result.to_geodataframe())
    6
    """


@_job(_placedef.contiguity, ["blocks"])
def contiguity(*args: Any, **kwargs: Any) -> Any:
    """The contiguity graph of a polygon layer, as a dict of codes, neighbours and components.

    >>> import placedef
    >>> len(placedef.contiguity("shapefiles/lad_2021.gpkg")["codes"])
    2
    """


@_job(_placedef.deprivation, ["footprints", "units"])
def deprivation(*args: Any, **kwargs: Any) -> Any:
    """Deprivation by place (the study's rule) on any footprint layer, as a dict.

    >>> import placedef
    >>> lsoa = placedef.Layer.open("shapefiles/lsoa_2011.gpkg")
    >>> result = placedef.deprivation("shapefiles/lad_2021.gpkg", lsoa, ranks=list(range(1, len(lsoa) + 1)))
    >>> result["footprints"]["code"]
    ['E07000209', 'E07000216']
    """


@_job(_placedef.compare, ["blocks", "proposals", "partners"], ComparisonResult)
def compare(*args: Any, **kwargs: Any) -> Any:
    """``placedef compare``: proposals (layers of places, or lookups of blocks) scored
    side by side against partner layers.

    >>> import placedef
    >>> people = placedef.Population("shapefiles/lsoa_2011.gpkg", table="shapefiles/population_mid2020_lsoa11.csv",
    ...                              column="total_population", key="lsoa11_code")
    >>> result = placedef.compare("shapefiles/lsoa_2011.gpkg", ["shapefiles/lad_2021.gpkg"], ["shapefiles/ced_2025.gpkg"],
    ...                           population=people)
    >>> result.to_pandas().partner_units_split.tolist()
    [0]
    """


@_job(_placedef.flows, ["units", "flows_csv"], FlowsResult)
def flows(*args: Any, **kwargs: Any) -> Any:
    """``placedef flows UNITS --flows CSV``: functional areas (travel-to-work areas) from
    commuting flows between the units, contiguous by construction (``rules="ttwa2011"``
    or ``"istat"``; ``min_size=`` and the other rule values change the preset's).

    >>> import placedef
    >>> wards = placedef.Layer.open("shapefiles/ward_2025.gpkg@WD25CD")
    >>> with open("out/doctest_flows.csv", "w") as table:
    ...     _ = table.write("home,work,people\\n" + "".join(f"{c},{c},5000\\n" for c in wards.codes))
    >>> areas = placedef.flows(wards, "out/doctest_flows.csv")
    >>> len(areas.to_pandas()) == len(wards), areas.to_pandas().valid.unique().tolist()
    (True, ['yes'])
    """
