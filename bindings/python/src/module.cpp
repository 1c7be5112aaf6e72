// The Python module `placedef`: the engine through its stable C API, with
// results as dicts of lists and NumPy arrays and geometries as WKB bytes.
// Calls keep the GIL: a handle is used by one thread at a time (pdef_c.h),
// and the engine runs its own worker threads.
#include "types.hpp"

PYBIND11_MODULE(_placedef, m) {
    m.doc() =
        "placedef: define places from boundary layers: overlay, co-terminosity, best fits, PCN and town\n"
        "footprints. The functions mirror the command line (info, overlay, align, bestfit, matrix, pcn,\n"
        "footprints) and return plain dicts of lists and NumPy arrays; geometries are WKB bytes\n"
        "(geopandas.GeoSeries.from_wkb). Bad input raises ValueError; an output that cannot be written,\n"
        "OSError. Problems with the input go to the 'placedef' logger as warnings.";
    using namespace placedef::python;
    bind_context(m);
    bind_writer(m);
    bind_layer(m);
    bind_population(m);
    bind_table(m);
    bind_report(m);
    bind_lookup(m);
    bind_matrix(m);
    bind_pcn(m);
    bind_graph(m);
    bind_footprints(m);
    bind_deprivation(m);
    bind_compare(m);
}
