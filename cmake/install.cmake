# Install rules and the CMake package (find_package(placedef)) for the C API
# (placedef::c) and the C++ engine (placedef::core, an interface target over
# the module libraries, which are installed with it).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set_target_properties(placedef_core PROPERTIES EXPORT_NAME core)
set(pdef_module_targets)
foreach(module ${PDEF_MODULES})
  list(APPEND pdef_module_targets pdef_${module})
endforeach()

install(TARGETS placedef_c EXPORT placedef-c-targets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# placedef_warnings only carries compile flags; it is exported because the
# static core names it among its (link-only) dependencies.
install(TARGETS placedef_core ${pdef_module_targets} placedef_warnings EXPORT placedef-core-targets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/engine/include/placedef DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(pdef_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/placedef)
install(EXPORT placedef-c-targets NAMESPACE placedef:: DESTINATION ${pdef_cmake_dir})
install(EXPORT placedef-core-targets NAMESPACE placedef:: DESTINATION ${pdef_cmake_dir})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/placedef-config.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/placedef-config.cmake
  INSTALL_DESTINATION ${pdef_cmake_dir})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/placedef-config-version.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/placedef-config.cmake ${CMAKE_CURRENT_BINARY_DIR}/placedef-config-version.cmake
  DESTINATION ${pdef_cmake_dir})
