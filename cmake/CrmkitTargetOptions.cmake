# Per-target compiler settings: warnings and sanitizers are applied to crmkit's own targets only,
# never through global flags, so a parent project's targets are left alone.
# -Wnull-dereference is left out on purpose: with optimization GCC 12 reports it inside
# libstdc++'s std::optional on correct code, and -Wrestrict is off for GCC because GCC 12 reports
# it at -O3 inside std::string on correct code (GCC bug 105329).

function(crmkit_target_options target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  set_target_properties(${target} PROPERTIES CXX_EXTENSIONS OFF)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE
      -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wold-style-cast
      -Wnon-virtual-dtor -Woverloaded-virtual -Wcast-align -Wdouble-promotion
      -Wformat=2 -Wimplicit-fallthrough)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
      target_compile_options(${target} PRIVATE -Wno-restrict)
    endif()
    if(CRMKIT_WARNINGS_AS_ERRORS)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  elseif(MSVC)
    target_compile_options(${target} PRIVATE /W4 /permissive-)
    if(CRMKIT_WARNINGS_AS_ERRORS)
      target_compile_options(${target} PRIVATE /WX)
    endif()
  endif()
  if(CRMKIT_SANITIZERS)
    list(JOIN CRMKIT_SANITIZERS "," _crmkit_san)
    target_compile_options(${target} PRIVATE -fsanitize=${_crmkit_san} -fno-omit-frame-pointer
                                             -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=${_crmkit_san})
  endif()
endfunction()
