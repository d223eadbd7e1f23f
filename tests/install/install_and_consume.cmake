# Script (cmake -P) behind the test "install: find_package consumer"; tests/install/CMakeLists.txt
# passes the variables below. Every step runs in a fresh directory under WORK_DIR, inside the build tree.
foreach(var BUILD_DIR WORK_DIR CONSUMER_SOURCE_DIR GENERATOR CXX_COMPILER EXPECTED_VERSION)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "install_and_consume.cmake needs -D ${var}=...")
  endif()
endforeach()

set(prefix "${WORK_DIR}/prefix")
set(consumer_build "${WORK_DIR}/consumer-build")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

set(config_args "")
if(BUILD_CONFIG)
  set(config_args --config "${BUILD_CONFIG}")
endif()

# Runs a command, shows it, and stops with its output when it fails. Leaves the output in `output`.
function(run_step description)
  message(STATUS "${description}")
  execute_process(COMMAND ${ARGN}
                  COMMAND_ECHO STDOUT
                  RESULT_VARIABLE exit_code
                  OUTPUT_VARIABLE out
                  ERROR_VARIABLE out)
  if(NOT exit_code EQUAL 0)
    message(NOTICE "${out}")  # as it is: FATAL_ERROR would re-wrap its lines
    message(FATAL_ERROR "${description} failed (exit code ${exit_code}); its output is above")
  endif()
  set(output "${out}" PARENT_SCOPE)
endfunction()

# The install must hold the current library, and every installed target must exist (the `crmkit`
# program too): build the default target, which is a no-op right after a full build.
run_step("Building the project" "${CMAKE_COMMAND}" --build "${BUILD_DIR}" ${config_args})
run_step("Installing into ${prefix}" "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${prefix}" ${config_args})

run_step("Configuring the consumer"
  "${CMAKE_COMMAND}" -S "${CONSUMER_SOURCE_DIR}" -B "${consumer_build}" -G "${GENERATOR}"
  "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
  "-DCMAKE_BUILD_TYPE=${BUILD_CONFIG}"
  "-DCMAKE_PREFIX_PATH=${prefix}"
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
  "-DCMAKE_CXX_FLAGS=${SANITIZER_FLAGS}"
  "-DCMAKE_EXE_LINKER_FLAGS=${SANITIZER_FLAGS}")

# The package must come from the prefix just installed, not from the system or a build tree.
file(STRINGS "${consumer_build}/CMakeCache.txt" crmkit_dir_entry REGEX "^crmkit_DIR:")
string(REGEX REPLACE "^crmkit_DIR:[A-Z]+=" "" crmkit_dir "${crmkit_dir_entry}")
file(REAL_PATH "${prefix}" real_prefix)
file(REAL_PATH "${crmkit_dir}" real_crmkit_dir)
string(FIND "${real_crmkit_dir}" "${real_prefix}/" position)
if(NOT position EQUAL 0)
  message(FATAL_ERROR "The consumer found crmkit in '${crmkit_dir}', outside the prefix '${prefix}'")
endif()

run_step("Building the consumer" "${CMAKE_COMMAND}" --build "${consumer_build}" ${config_args})

set(consumer "${consumer_build}/crmkit_consumer")
if(NOT EXISTS "${consumer}" AND BUILD_CONFIG)
  set(consumer "${consumer_build}/${BUILD_CONFIG}/crmkit_consumer")  # multi-config generators
endif()
run_step("Running the consumer" "${consumer}")
message(STATUS "Consumer output:\n${output}")

# The consumer prints what the installed library computed; each line checks one part of it.
set(expected_lines
  "crmkit ${EXPECTED_VERSION}"
  "backend memory"
  "customer 1 Ada Lovelace <ada@example.com> version 1"
  "found by email 1"
  "rejected email: 'not-an-email'")
foreach(line IN LISTS expected_lines)
  string(FIND "${output}" "${line}\n" position)
  if(position EQUAL -1)
    message(FATAL_ERROR "The consumer's output lacks the line '${line}'")
  endif()
endforeach()
message(STATUS "The installed crmkit ${EXPECTED_VERSION} was found, linked and run")
