// GDAL/OGR handles held in unique_ptr with the matching release call, one-time
// driver registration, and a scoped error handler that keeps GDAL quiet and
// remembers what it said so that our exceptions can quote it.
#pragma once

#include "core/text.hpp"

#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <memory>
#include <new>
#include <mutex>
#include <string>
#include <vector>

namespace placedef::detail {

/// Registers every GDAL driver, once per process; safe from any thread.
inline void register_gdal_drivers() {
    static std::once_flag once;
    std::call_once(once, [] { GDALAllRegister(); });
}

struct DatasetCloser {
    void operator()(GDALDataset* dataset) const noexcept { GDALClose(GDALDataset::ToHandle(dataset)); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

struct FeatureDeleter {
    void operator()(OGRFeature* feature) const noexcept { OGRFeature::DestroyFeature(feature); }
};
using FeaturePtr = std::unique_ptr<OGRFeature, FeatureDeleter>;

struct GeometryDeleter {
    void operator()(OGRGeometry* geometry) const noexcept { OGRGeometryFactory::destroyGeometry(geometry); }
};
template <typename G = OGRGeometry>
using GeometryPtr = std::unique_ptr<G, GeometryDeleter>;

struct TransformDeleter {
    void operator()(OGRCoordinateTransformation* transform) const noexcept {
        OGRCoordinateTransformation::DestroyCT(transform);
    }
};
using TransformPtr = std::unique_ptr<OGRCoordinateTransformation, TransformDeleter>;

/// While alive, GDAL errors and warnings on this thread are not printed but
/// kept, so that the caller can put them in an exception. GDAL's handler
/// stack is per thread, so scopes on different threads do not interfere;
/// scopes on one thread must nest (use it as a local variable).
class GdalErrorCapture {
public:
    GdalErrorCapture() {
        CPLErrorReset();
        CPLPushErrorHandlerEx(&GdalErrorCapture::handle, this);
    }
    ~GdalErrorCapture() { CPLPopErrorHandler(); }
    GdalErrorCapture(const GdalErrorCapture&) = delete;
    GdalErrorCapture& operator=(const GdalErrorCapture&) = delete;

    /// A CE_Failure or CE_Fatal was raised since construction (or clear()).
    bool failed() const { return !m_failures.empty(); }
    /// GDAL's words: the distinct failure messages, else the last warning.
    /// Running out of memory is neither the input's fault nor the output's:
    /// when GDAL (or PROJ's database through it) said so, this throws
    /// std::bad_alloc instead, so that the caller's error becomes what it is.
    std::string message() const {
        if (m_out_of_memory) throw std::bad_alloc();
        std::string text;
        for (const std::string& failure : m_failures) {
            if (!text.empty()) text += "; ";
            text += failure;
        }
        if (text.empty()) text = m_last_warning;
        if (text.empty()) text = "GDAL gave no reason";
        return without_password(text);
    }
    void clear() {
        m_out_of_memory = false;
        m_failures.clear();
        m_last_warning.clear();
        CPLErrorReset();
    }

private:
    static void CPL_STDCALL handle(CPLErr severity, CPLErrorNum number, const char* text) {
        auto* self = static_cast<GdalErrorCapture*>(CPLGetErrorHandlerUserData());
        if (!self || !text) return;
        std::string message = std::string(trim(text));
        if (severity >= CE_Failure) {
            // SQLite (GeoPackage, PROJ's database) says "out of memory" with no error
            // number; PROJ passes on the C++ exception's name.
            if (number == CPLE_OutOfMemory || icontains(message, "out of memory") || icontains(message, "bad_alloc"))
                self->m_out_of_memory = true;
            // GDAL often repeats itself (one message per retry); keep each once.
            for (const std::string& seen : self->m_failures)
                if (seen == message) return;
            self->m_failures.push_back(std::move(message));
        } else if (severity == CE_Warning) {
            self->m_last_warning = std::move(message);
        }
    }

    std::vector<std::string> m_failures;
    std::string m_last_warning;
    bool m_out_of_memory = false;
};

}  // namespace placedef::detail
