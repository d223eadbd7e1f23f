# Install rules and the exported package, so that consumers can write
#   find_package(crmkit CONFIG REQUIRED)
#   target_link_libraries(app PRIVATE crmkit::crmkit)
# tests/install proves it: it installs a build tree and builds a consumer against it.
include(CMakePackageConfigHelpers)

set(CRMKIT_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/crmkit"
    CACHE STRING "Where crmkit's CMake package files are installed")

install(TARGETS crmkit EXPORT crmkitTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT crmkit_Development
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT crmkit_Runtime
          NAMELINK_COMPONENT crmkit_Development
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT crmkit_Runtime
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/crmkit
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        COMPONENT crmkit_Development
        FILES_MATCHING PATTERN "*.hpp")
install(FILES ${PROJECT_BINARY_DIR}/include/crmkit/version.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/crmkit
        COMPONENT crmkit_Development)
install(EXPORT crmkitTargets
        NAMESPACE crmkit::
        DESTINATION ${CRMKIT_INSTALL_CMAKEDIR}
        COMPONENT crmkit_Development)

# A static crmkit carries its private dependencies (fmt, Boost) into the consumer's link line as
# $<LINK_ONLY:...>, so the package must find them; a shared one does not expose them at all.
get_target_property(_crmkit_type crmkit TYPE)
if(_crmkit_type STREQUAL "STATIC_LIBRARY")
  set(CRMKIT_PACKAGE_FINDS_PRIVATE_DEPENDENCIES ON)
else()
  set(CRMKIT_PACKAGE_FINDS_PRIVATE_DEPENDENCIES OFF)
endif()

# Generated in a subdirectory so that the build tree itself never looks like a usable package.
set(_crmkit_package_dir "${PROJECT_BINARY_DIR}/package")
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/crmkitConfig.cmake.in
  ${_crmkit_package_dir}/crmkitConfig.cmake
  INSTALL_DESTINATION ${CRMKIT_INSTALL_CMAKEDIR})
# 0.x releases may break the API at every minor version.
write_basic_package_version_file(${_crmkit_package_dir}/crmkitConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${_crmkit_package_dir}/crmkitConfig.cmake
              ${_crmkit_package_dir}/crmkitConfigVersion.cmake
        DESTINATION ${CRMKIT_INSTALL_CMAKEDIR}
        COMPONENT crmkit_Development)
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE
        DESTINATION ${CMAKE_INSTALL_DOCDIR}
        COMPONENT crmkit_Runtime)
