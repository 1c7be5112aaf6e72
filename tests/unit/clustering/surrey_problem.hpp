// The Surrey benchmark problem, made once per test run by
// bench/surrey_problem.py (GeoPandas: an independent queen graph) from the
// full data. Callers check PDEF_REQUIRE_UK_DATA() first.
#pragma once

#include "support.hpp"

#include "problem_file.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

namespace placedef::test {

inline bench::OwnedProblem surrey_problem() {
    static const std::string path = [] {
        const std::string made = temp_dir("surrey-problem") + "/surrey_problem.txt";
        const std::string command = "/usr/bin/python3 '" + source_path("bench/surrey_problem.py") + "' '" +
                                    uk_data_path("") + "' '" + made + "' 2>/dev/null";
        REQUIRE(std::system(command.c_str()) == 0);
        return made;
    }();
    bench::OwnedProblem owned = bench::read_problem_file(path);
    REQUIRE(owned.problem.size() == 709);
    return owned;
}

}  // namespace placedef::test
