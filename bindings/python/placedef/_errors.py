"""placedef's exceptions: one base, Error, and a subclass per kind of failure the
engine reports (the C API's status ranges), each also the standard exception a
Python user would catch (ValueError, OSError, FileNotFoundError, RuntimeError)."""


class Error(Exception):
    """A failure the engine reported; ``status`` is the C API's code (pdef_status).

    >>> import placedef
    >>> try:
    ...     placedef.Layer.open("shapefiles/lad_2021.gpkg@NO_SUCH_COLUMN")
    ... except placedef.Error as error:
    ...     print(type(error).__name__, error.status)
    InputError 200
    """

    status: int = 1


class OptionError(Error, ValueError):
    """An option outside its range or a call the engine cannot take (status 100-199).

    >>> import placedef
    >>> placedef.align("shapefiles/lsoa_2011.gpkg", "shapefiles/lad_2021.gpkg", tolerance=0.2)
    Traceback (most recent call last):
    placedef.OptionError: the tolerance must lie in [0.5, 1]; it is the share treated as "all" (default 0.995)
    """


class InputError(Error, ValueError):
    """Input the engine cannot use: a column, a CRS, a geometry, a value, a word it does not know (status 200).

    >>> import placedef
    >>> placedef.bestfit("shapefiles/ward_2025.gpkg@WD25CD", "shapefiles/lad_2021.gpkg", method="nearest")
    Traceback (most recent call last):
    placedef.InputError: unknown best-fit method 'nearest': use area, centroid or population
    """


class ReadError(Error, OSError):
    """A file or connection that cannot be opened or read (status 201).

    >>> import placedef
    >>> placedef.Layer.open("README.md")
    Traceback (most recent call last):
    placedef.ReadError: file 'README.md': cannot be opened: `README.md' not recognized as a supported file format.
    """


class MissingFileError(ReadError, FileNotFoundError):
    """An input file that does not exist; ``filename`` names it (errno ENOENT).

    >>> import placedef
    >>> try:
    ...     placedef.Layer.open("no_such.gpkg")
    ... except FileNotFoundError as error:
    ...     print(error.filename)
    no_such.gpkg
    """


class TopologyError(Error, RuntimeError):
    """A geometry operation failed on valid-looking input (status 300).

    >>> import placedef
    >>> issubclass(placedef.TopologyError, RuntimeError)
    True
    """


class InternalError(Error, RuntimeError):
    """An engine fault (status 301); please report it with the input that caused it.

    >>> import placedef
    >>> issubclass(placedef.InternalError, RuntimeError)
    True
    """


class OutputError(Error, OSError):
    """A result that cannot be written, or an output that would replace an input (status 400).

    >>> import placedef
    >>> placedef.overlay("shapefiles/ward_2025.gpkg@WD25CD", "shapefiles/ced_2025.gpkg", output="no/such/folder/pieces.csv")
    Traceback (most recent call last):
    placedef.OutputError: file 'no/such/folder/pieces.csv': cannot be written: folder 'no/such/folder' does not exist
    """


class CancelledError(Error):
    """The call was stopped by the ``cancelled`` hook of :func:`placedef.hooks` (status 3).

    >>> import placedef
    >>> with placedef.hooks(cancelled=lambda: True):
    ...     placedef.footprints("shapefiles/lsoa_2011.gpkg", method="azp", k=8, ensemble=50, attributes={"IMD_rank": range(166)})
    Traceback (most recent call last):
    placedef.CancelledError: ...
    """


for _type in (Error, OptionError, InputError, ReadError, MissingFileError, TopologyError, InternalError,
              OutputError, CancelledError):
    _type.__module__ = "placedef"
