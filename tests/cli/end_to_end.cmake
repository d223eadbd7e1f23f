# The real `crmkit` program, end to end: imports a fixture into a new SQLite file, then reads the
# counts back as JSON. Run by CTest as
#   cmake -DCRMKIT=<program> -DFIXTURE=<purchases.csv> -DWORK_DIR=<dir> -P end_to_end.cmake
foreach(variable CRMKIT FIXTURE WORK_DIR)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "end_to_end.cmake needs -D${variable}=...")
  endif()
endforeach()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(db ${WORK_DIR}/crm.db)

# Runs the program; fails the test unless it exits with `expected_status`.
function(run_crmkit expected_status out_variable)
  execute_process(COMMAND ${CRMKIT} ${ARGN}
                  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status STREQUAL expected_status)
    message(FATAL_ERROR "crmkit ${ARGN}: exit status ${status}, expected ${expected_status}\n"
                        "stdout:\n${out}\nstderr:\n${err}")
  endif()
  set(${out_variable} "${out}" PARENT_SCOPE)
endfunction()

run_crmkit(0 report import purchases ${FIXTURE} --db ${db})
if(NOT report MATCHES "rows imported +5\n")
  message(FATAL_ERROR "unexpected import report:\n${report}")
endif()

run_crmkit(0 stats stats --db ${db} --format json)
foreach(entry "customers;3" "purchases;5" "interactions;0" "deals;0")
  list(GET entry 0 key)
  list(GET entry 1 expected)
  string(JSON actual ERROR_VARIABLE json_error GET "${stats}" ${key})
  if(json_error OR NOT actual EQUAL expected)
    message(FATAL_ERROR "stats: ${key} is '${actual}' (${json_error}), expected ${expected}:\n${stats}")
  endif()
endforeach()

# A usage error exits 2, a failure 1.
run_crmkit(2 ignored stats --db ${db} --format xml)
run_crmkit(1 ignored stats --db ${WORK_DIR}/missing.db)

file(REMOVE_RECURSE ${WORK_DIR})
message(STATUS "crmkit end to end: ok")
