# Runs an example program and compares its standard output with the expected text, exactly.
#   cmake -DPROGRAM=<exe> [-DARGS=<arguments as a list>] -DEXPECTED=<file> [-DACTUAL=<file>]
#         -P check_example_output.cmake
# On a mismatch it prints the first differing line of each and, when ACTUAL is given, writes the
# whole actual output there so that `diff EXPECTED ACTUAL` shows everything (and so that, after
# reviewing it, the actual output can be copied over the expected file).
cmake_minimum_required(VERSION 3.25)  # script mode: sets the policies, e.g. CMP0007 for lists

foreach(variable PROGRAM EXPECTED)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "check_example_output.cmake: -D${variable}=... is required")
  endif()
endforeach()

execute_process(COMMAND ${PROGRAM} ${ARGS}
                OUTPUT_VARIABLE actual
                ERROR_VARIABLE errors
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} failed (exit status: ${status})\n${errors}")
endif()
if(DEFINED ACTUAL)
  file(WRITE ${ACTUAL} "${actual}")
endif()

file(READ ${EXPECTED} expected)
# A checkout with CRLF line ends must not fail the comparison.
string(REPLACE "\r\n" "\n" expected "${expected}")
string(REPLACE "\r\n" "\n" actual "${actual}")
if(actual STREQUAL expected)
  return()
endif()

# Find the first differing line. Lines are compared as list items, so protect ';' first, and
# drop the final line end so that it does not count as an empty last line.
string(REGEX REPLACE "\n$" "" expected_escaped "${expected}")
string(REGEX REPLACE "\n$" "" actual_escaped "${actual}")
string(REPLACE ";" "\\;" expected_escaped "${expected_escaped}")
string(REPLACE ";" "\\;" actual_escaped "${actual_escaped}")
string(REPLACE "\n" ";" expected_lines "${expected_escaped}")
string(REPLACE "\n" ";" actual_lines "${actual_escaped}")
list(LENGTH expected_lines expected_count)
list(LENGTH actual_lines actual_count)
set(line 0)
while(line LESS expected_count AND line LESS actual_count)
  list(GET expected_lines ${line} expected_line)
  list(GET actual_lines ${line} actual_line)
  if(NOT expected_line STREQUAL actual_line)
    break()
  endif()
  math(EXPR line "${line} + 1")
endwhile()
math(EXPR line_number "${line} + 1")
if(line LESS expected_count)
  list(GET expected_lines ${line} expected_line)
else()
  set(expected_line "<end of output>")
endif()
if(line LESS actual_count)
  list(GET actual_lines ${line} actual_line)
else()
  set(actual_line "<end of output>")
endif()

if(line EQUAL expected_count AND line EQUAL actual_count)
  message(FATAL_ERROR "Output of ${PROGRAM} differs from ${EXPECTED} only in its final line end")
endif()

set(hint "")
if(DEFINED ACTUAL)
  set(hint "\nFull output in ${ACTUAL}; compare with: diff ${EXPECTED} ${ACTUAL}")
endif()
message(FATAL_ERROR
        "Output of ${PROGRAM} differs from ${EXPECTED} at line ${line_number}:\n"
        "- expected: [${expected_line}]\n"
        "+ actual:   [${actual_line}]${hint}")
