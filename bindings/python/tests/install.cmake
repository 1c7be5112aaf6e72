# cmake -DBUILD_DIR=... -DWORK_DIR=... -DPYTHON=... -DSITE=... -DSOURCE_DIR=... -P install.cmake
# Installs the Python component into a staging folder (DESTDIR) under the prefix
# /usr/local, checks that /usr/bin/python3 looks there without PYTHONPATH, and
# imports the staged package (its C library found beside it, not in the build).
function(run)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE failed OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(failed)
    string(REPLACE ";" " " command "${ARGV}")
    message(FATAL_ERROR "failed: ${command}\n${out}\n${err}")
  endif()
  set(output "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
run(${CMAKE_COMMAND} -E env DESTDIR=${WORK_DIR}
    ${CMAKE_COMMAND} --install ${BUILD_DIR} --component python --prefix /usr/local)
set(package ${WORK_DIR}/usr/local/${SITE}/placedef)
foreach(file __init__.py __init__.pyi py.typed _errors.py _hooks.py _results.py libplacedef_c.so.0)
  if(NOT EXISTS ${package}/${file})
    message(FATAL_ERROR "not installed: ${package}/${file}")
  endif()
endforeach()
run(${CMAKE_COMMAND} -E env --unset=PYTHONPATH --unset=LD_LIBRARY_PATH ${PYTHON} ${CMAKE_CURRENT_LIST_DIR}/installed.py
    ${WORK_DIR}/usr/local/${SITE} /usr/local/${SITE} ${SOURCE_DIR})
message(STATUS "${output}")
