# Install rules and the exported package, so that consumers can write
#   find_package(crmkit CONFIG REQUIRED)
#   target_link_libraries(app PRIVATE crmkit::crmkit)
include(CMakePackageConfigHelpers)

set(CRMKIT_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/crmkit"
    CACHE STRING "Where crmkit's CMake package files are installed")

install(TARGETS crmkit EXPORT crmkitTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/crmkit
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${PROJECT_BINARY_DIR}/include/crmkit/version.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/crmkit)
install(EXPORT crmkitTargets NAMESPACE crmkit:: DESTINATION ${CRMKIT_INSTALL_CMAKEDIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/crmkitConfig.cmake.in
  ${PROJECT_BINARY_DIR}/crmkitConfig.cmake
  INSTALL_DESTINATION ${CRMKIT_INSTALL_CMAKEDIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/crmkitConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/crmkitConfig.cmake ${PROJECT_BINARY_DIR}/crmkitConfigVersion.cmake
        DESTINATION ${CRMKIT_INSTALL_CMAKEDIR})
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/crmkit)
