// The compiled part of the package `placedef` (placedef._placedef): the engine
// through its stable C API, with results as dicts of lists and NumPy arrays and
// geometries as WKB bytes; the package's Python layer (../placedef) makes them
// result objects.
// Calls keep the GIL: a handle is used by one thread at a time (pdef_c.h),
// and the engine runs its own worker threads.
#include "types.hpp"

PYBIND11_MODULE(_placedef, m) {
    m.doc() =
        "The compiled part of placedef: the functions mirror the command line and return plain dicts of\n"
        "lists and NumPy arrays, with geometries as WKB bytes and a writer of the job's outputs; the\n"
        "package placedef wraps them in result objects. Failures raise placedef.Error subclasses;\n"
        "problems with the input go to the 'placedef' logger as warnings.";
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
    bind_flows(m);
}
