# cmake -DBUILD_DIR=... -DSOURCE_DIR=... -DWORK_DIR=... [-DGENERATOR=...] [-DBUILD_TYPE=...] -P run.cmake
function(run)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE failed)
  if(failed)
    string(REPLACE ";" " " command "${ARGV}")
    message(FATAL_ERROR "failed: ${command}")
  endif()
endfunction()

set(prefix ${WORK_DIR}/prefix)
set(consumer ${WORK_DIR}/consumer)
set(sample ${SOURCE_DIR}/shapefiles)
file(REMOVE_RECURSE ${WORK_DIR})
if(NOT BUILD_TYPE)
  set(BUILD_TYPE Release)
endif()

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} --config ${BUILD_TYPE})
run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/install/project -B ${consumer} -G ${GENERATOR}
    -DCMAKE_BUILD_TYPE=${BUILD_TYPE} -DCMAKE_PREFIX_PATH=${prefix} -DPDEF_EXAMPLES=${SOURCE_DIR}/examples)
run(${CMAKE_COMMAND} --build ${consumer} --config ${BUILD_TYPE})
run(${consumer}/overlay ${sample}/ward_2025.gpkg@WD25CD ${sample}/ced_2025.gpkg ${WORK_DIR}/ward_x_ced.csv)
run(${consumer}/matrix ${WORK_DIR}/matrix.csv ${sample}/lsoa_2011.gpkg ${sample}/population_mid2020_lsoa11.csv
    lsoa11_code total_population ${sample}/lad_2021.gpkg ${sample}/ward_2025.gpkg@WD25CD)
