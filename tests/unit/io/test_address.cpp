#include "support.hpp"

#include "placedef/error.hpp"
#include "placedef/io.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using placedef::invalid_input;
using placedef::LayerAddress;

namespace {

/// An (empty) file whose only job is to exist, since the ':' split asks the file system.
std::string touch(const std::string& dir, const std::string& name) {
    const std::string path = dir + "/" + name;
    std::ofstream(path) << "";
    return path;
}

}  // namespace

TEST_CASE("a plain path has no layer and no code column", "[io][address]") {
    const LayerAddress address = LayerAddress::parse("data/lsoa.gpkg");
    CHECK(address.path == "data/lsoa.gpkg");
    CHECK(address.layer.empty());
    CHECK(address.code_column.empty());
}

TEST_CASE("@ followed by a column name gives the code column", "[io][address]") {
    const LayerAddress address = LayerAddress::parse("data/lsoa.gpkg@LSOA21CD");
    CHECK(address.path == "data/lsoa.gpkg");
    CHECK(address.code_column == "LSOA21CD");
}

TEST_CASE("@ followed by something that is not a column name stays in the path", "[io][address]") {
    CHECK(LayerAddress::parse("exports/run@2021.gpkg").path == "exports/run@2021.gpkg");
    CHECK(LayerAddress::parse("exports/run@2021").code_column.empty());
    const LayerAddress both = LayerAddress::parse("a@b.gpkg@_code9");
    CHECK(both.path == "a@b.gpkg");
    CHECK(both.code_column == "_code9");
}

TEST_CASE(":layer is split off only when the file before it exists", "[io][address]") {
    const std::string dir = placedef::test::temp_dir("address");
    const std::string gpkg = touch(dir, "areas.gpkg");

    const LayerAddress address = LayerAddress::parse(gpkg + ":ward_2019@WD19CD");
    CHECK(address.path == gpkg);
    CHECK(address.layer == "ward_2019");
    CHECK(address.code_column == "WD19CD");

    SECTION("no such file: the whole text is the path") {
        const LayerAddress missing = LayerAddress::parse(dir + "/missing.gpkg:ward");
        CHECK(missing.path == dir + "/missing.gpkg:ward");
        CHECK(missing.layer.empty());
    }
    SECTION("a file name with ':' in it is kept whole") {
        const std::string odd = touch(dir, "run:2021.gpkg");
        CHECK(LayerAddress::parse(odd).path == odd);
        const LayerAddress with_layer = LayerAddress::parse(odd + ":lsoa");
        CHECK(with_layer.path == odd);
        CHECK(with_layer.layer == "lsoa");
    }
}

TEST_CASE("PG: connection strings take the layer after the last ':'", "[io][address]") {
    const LayerAddress address = LayerAddress::parse("PG:dbname=gis host=db:public.lsoa@LSOA21CD");
    CHECK(address.path == "PG:dbname=gis host=db");
    CHECK(address.layer == "public.lsoa");
    CHECK(address.code_column == "LSOA21CD");

    CHECK(LayerAddress::parse("PG:dbname=gis").layer.empty());
    CHECK(LayerAddress::parse("PG:dbname=gis port=5432").path == "PG:dbname=gis port=5432");

    const LayerAddress uri = LayerAddress::parse("PG:postgresql://me@localhost");
    CHECK(uri.path == "PG:postgresql://me@localhost");
    CHECK(uri.code_column.empty());
    const LayerAddress uri_layer = LayerAddress::parse("PG:postgresql://me@localhost:5432/gis:lsoa@CODE");
    CHECK(uri_layer.path == "PG:postgresql://me@localhost:5432/gis");
    CHECK(uri_layer.layer == "lsoa");
    CHECK(uri_layer.code_column == "CODE");
}

TEST_CASE("to_string gives back the parsed text", "[io][address]") {
    const std::string dir = placedef::test::temp_dir("address-round-trip");
    const std::string gpkg = touch(dir, "a.gpkg");
    for (const std::string& text :
         {gpkg, gpkg + ":lsoa", gpkg + "@CODE", gpkg + ":lsoa@CODE", std::string("PG:dbname=gis:lsoa@CODE")})
        CHECK(LayerAddress::parse(text).to_string() == text);
}

TEST_CASE("empty parts of an address are refused", "[io][address]") {
    const std::string dir = placedef::test::temp_dir("address-empty");
    const std::string gpkg = touch(dir, "a.gpkg");
    using Catch::Matchers::Contains;
    CHECK_THROWS_AS(LayerAddress::parse(""), invalid_input);
    CHECK_THROWS_WITH(LayerAddress::parse("  "), Contains("empty"));
    CHECK_THROWS_WITH(LayerAddress::parse(gpkg + "@"), Contains(gpkg) && Contains("nothing after '@'"));
    CHECK_THROWS_WITH(LayerAddress::parse("@LSOA21CD"), Contains("no path"));
    CHECK_THROWS_WITH(LayerAddress::parse(gpkg + ":"), Contains(gpkg) && Contains("empty layer name"));
    CHECK_THROWS_WITH(LayerAddress::parse(gpkg + ":@CODE"), Contains("empty layer name"));
    CHECK_THROWS_WITH(LayerAddress::parse("PG:dbname=gis:"), Contains("empty layer name"));
    CHECK_THROWS_WITH(LayerAddress::parse(":lsoa"), Contains("no path"));
}

TEST_CASE("address errors do not show a password", "[io][address]") {
    try {
        LayerAddress::parse("PG:dbname=gis password=hunter2@");
        FAIL("no exception");
    } catch (const invalid_input& e) {
        const std::string message = e.what();
        CHECK(message.find("hunter2") == std::string::npos);
        CHECK(message.find("dbname=gis") != std::string::npos);
    }
}

TEST_CASE("a URL's scheme and port are never taken for a layer", "[io][address]") {
    // Port 9 (discard) on the loopback refuses at once: nothing exists there.
    for (const char* text : {"/vsicurl/http://127.0.0.1:9/x.gpkg", "/vsicurl/https://127.0.0.1:9/data/x.gpkg"}) {
        const LayerAddress address = LayerAddress::parse(text);
        CHECK(address.path == text);
        CHECK(address.layer.empty());
    }
    const LayerAddress with_code = LayerAddress::parse("/vsicurl/http://127.0.0.1:9/x.gpkg@LAD21CD");
    CHECK(with_code.path == "/vsicurl/http://127.0.0.1:9/x.gpkg");
    CHECK(with_code.code_column == "LAD21CD");
}

TEST_CASE("@CODE,NAME gives the code and the name columns, and @,NAME the name alone", "[io][address]") {
    const LayerAddress both = LayerAddress::parse("data/ward.gpkg@WD25CD,WD25NM");
    CHECK(both.path == "data/ward.gpkg");
    CHECK(both.code_column == "WD25CD");
    CHECK(both.label_column == "WD25NM");
    CHECK(both.to_string() == "data/ward.gpkg@WD25CD,WD25NM");
    const LayerAddress name_only = LayerAddress::parse("data/ward.gpkg@,WD25NM");
    CHECK(name_only.code_column.empty());
    CHECK(name_only.label_column == "WD25NM");
    CHECK(LayerAddress::parse(name_only.to_string()).label_column == "WD25NM");
    // Not column names: the text stays in the path, as '@2021' does.
    CHECK(LayerAddress::parse("exports/a@b,c d.gpkg").path == "exports/a@b,c d.gpkg");
}

TEST_CASE("a name column that is not a column name after an existing file is refused", "[io][address]") {
    const std::string dir = placedef::test::temp_dir("address_name");
    const std::string path = touch(dir, "ward.gpkg");
    CHECK_THROWS_WITH(LayerAddress::parse(path + "@WD25CD,WD25 NM"), Catch::Contains("as '@CODE,NAME'"));
}
