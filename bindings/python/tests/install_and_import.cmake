# Proves that `import crmkit` works from an installed prefix: installs the crmkit_Python component of
# the build tree into a fresh prefix, then imports the package from there with the interpreter it
# was built for, from another working directory, and runs installed_smoke.py against it.
#   cmake -DBUILD_DIR=... -DWORK_DIR=... -DPYTHON=... -DSITE_DIR=<relative> -DSMOKE=... -P install_and_import.cmake
cmake_minimum_required(VERSION 3.25)
foreach(variable BUILD_DIR WORK_DIR PYTHON SITE_DIR SMOKE)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "install_and_import.cmake: -D${variable}=... is required")
  endif()
endforeach()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix}
                        --component crmkit_Python
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "installing the crmkit_Python component failed (${status})")
endif()

execute_process(COMMAND ${CMAKE_COMMAND} -E env PYTHONPATH=${prefix}/${SITE_DIR}
                        PYTHONDONTWRITEBYTECODE=1
                        ${PYTHON} ${SMOKE} ${prefix}/${SITE_DIR}
                WORKING_DIRECTORY ${WORK_DIR}
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the installed package failed its smoke test (${status})")
endif()
