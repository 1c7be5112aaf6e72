#include "placedef/error.hpp"
#include "placedef/geometry.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <vector>

using namespace placedef;
using Catch::Matchers::Contains;

namespace {

void put_u32(std::vector<unsigned char>& bytes, std::uint32_t value) {
    for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<unsigned char>(value >> (8 * i)));
}

void put_double(std::vector<unsigned char>& bytes, double value) {
    unsigned char b[8];
    std::memcpy(b, &value, 8);
    bytes.insert(bytes.end(), b, b + 8);
}

void put_xy(std::vector<unsigned char>& bytes, double x, double y) {
    put_double(bytes, x);
    put_double(bytes, y);
}

/// Little-endian WKB of a 10 m square, EWKB with `srid` when it is not 0.
std::vector<unsigned char> square(std::uint32_t srid = 0) {
    std::vector<unsigned char> bytes{1};
    put_u32(bytes, srid ? 0x20000003u : 3u);
    if (srid) put_u32(bytes, srid);
    put_u32(bytes, 1);
    put_u32(bytes, 5);
    const double ring[5][2] = {{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}};
    for (const auto& p : ring) put_xy(bytes, p[0], p[1]);
    return bytes;
}

std::string message_of(const std::vector<unsigned char>& bytes) {
    try {
        multipolygon_from_wkb(bytes.data(), bytes.size());
    } catch (const invalid_input& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("WKB with bytes after the geometry is refused with their offset", "[geometry][wkb]") {
    std::vector<unsigned char> bytes = square();
    CHECK(area(multipolygon_from_wkb(bytes.data(), bytes.size())) == 100);
    const std::size_t end = bytes.size();
    bytes.push_back(0);
    CHECK_THAT(message_of(bytes), Contains("1 trailing bytes") && Contains("offset " + std::to_string(end)));
    // a second geometry glued on
    const std::vector<unsigned char> second = square();
    std::vector<unsigned char> two = square();
    two.insert(two.end(), second.begin(), second.end());
    CHECK_THAT(message_of(two), Contains(std::to_string(second.size()) + " trailing bytes"));
    // points too
    std::vector<unsigned char> point{1};
    put_u32(point, 1);
    put_xy(point, 5, 5);
    CHECK(point_from_wkb(point.data(), point.size()).x == 5);
    point.push_back(7);
    CHECK_THROWS_WITH(point_from_wkb(point.data(), point.size()), Contains("trailing bytes"));
}

TEST_CASE("the SRID of EWKB is read, in either byte order, and plain WKB has none", "[geometry][wkb]") {
    const std::vector<unsigned char> plain = square();
    CHECK_FALSE(wkb_srid(plain.data(), plain.size()).has_value());
    const std::vector<unsigned char> ewkb = square(4326);
    CHECK(wkb_srid(ewkb.data(), ewkb.size()) == 4326u);
    CHECK(area(multipolygon_from_wkb(ewkb.data(), ewkb.size())) == 100);  // the SRID is no trailing byte
    std::vector<unsigned char> big{0, 0x20, 0, 0, 1, 0, 0, 0x6c, 0x84};  // XDR POINT, SRID 0x6c84
    big.resize(big.size() + 16, 0);                                     // at (0, 0)
    CHECK(wkb_srid(big.data(), big.size()) == 27780u);
    CHECK_NOTHROW(point_from_wkb(big.data(), big.size()));
}

TEST_CASE("a multipolygon and ISO Z WKB are walked to their end", "[geometry][wkb]") {
    std::vector<unsigned char> multi{1};
    put_u32(multi, 6);
    put_u32(multi, 2);
    for (int i = 0; i < 2; ++i) {
        std::vector<unsigned char> part = square();
        for (auto& b : part) multi.push_back(b);
    }
    CHECK_NOTHROW(multipolygon_from_wkb(multi.data(), multi.size()));
    std::vector<unsigned char> z{1};
    put_u32(z, 1001);  // POINT Z
    put_xy(z, 1, 2);
    put_double(z, 3);
    CHECK(point_from_wkb(z.data(), z.size()).y == 2);
    z.push_back(0);
    CHECK_THROWS_AS(point_from_wkb(z.data(), z.size()), invalid_input);
}
