# Compile options for project code only (third-party headers are SYSTEM).
add_library(wasmops_options INTERFACE)
target_compile_options(wasmops_options INTERFACE -Wall -Wextra -Werror -Wshadow -Wnon-virtual-dtor)
# Only the public API here: each layer's headers come through the layer's
# own include folder (wasmops_layer below), so a layer cannot see a layer
# above it.
target_include_directories(wasmops_options INTERFACE ${PROJECT_SOURCE_DIR}/include)

if(WASMOPS_SANITIZE OR WASMOPS_FUZZ)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  # Boost.Context tells ASan about fiber switches (its fake stacks) with this.
  add_compile_definitions(BOOST_USE_ASAN)
  add_link_options(-fsanitize=address,undefined)
  # GCC 12's flow analysis under the sanitizers reports moved-from
  # std::optional<component::Value> payloads as maybe-uninitialized (false
  # positives the release build does not show); -Werror would stop the build.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    add_compile_options(-Wno-maybe-uninitialized)
  endif()
endif()
if(WASMOPS_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

# wasmops_layer(NAME SOURCES... DEPS ...): one static library per layer
# (DESIGN.md §2). DEPS may name only layers defined before this one (and
# third-party targets). The layer compiles against an include folder that
# holds links to its own sources and to those of the layers it may depend on
# (its DEPS and theirs), nothing else: `#include "cli/..."` from engine does
# not compile. tests/structure/layer_order_test.py checks the same rule on
# the sources.
function(wasmops_layer name)
  cmake_parse_arguments(L "" "" "SOURCES;DEPS" ${ARGN})
  set(allowed ${name})
  foreach(dep ${L_DEPS})
    if(dep MATCHES "^wasmops_(.+)$")
      set(layer ${CMAKE_MATCH_1})
      get_property(defined GLOBAL PROPERTY WASMOPS_LAYER_${layer}_ALLOWED DEFINED)
      if(NOT defined)
        message(FATAL_ERROR "layer ${name} depends on ${layer}, which is not a layer defined before it")
      endif()
      get_property(theirs GLOBAL PROPERTY WASMOPS_LAYER_${layer}_ALLOWED)
      list(APPEND allowed ${theirs})
    endif()
  endforeach()
  list(REMOVE_DUPLICATES allowed)
  define_property(GLOBAL PROPERTY WASMOPS_LAYER_${name}_ALLOWED BRIEF_DOCS "layers ${name} may include" FULL_DOCS "-")
  set_property(GLOBAL PROPERTY WASMOPS_LAYER_${name}_ALLOWED ${allowed})
  set(inc ${CMAKE_BINARY_DIR}/layer-include/${name})
  file(REMOVE_RECURSE ${inc})
  file(MAKE_DIRECTORY ${inc})
  foreach(layer ${allowed})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/src/${layer} ${inc}/${layer} SYMBOLIC)
  endforeach()
  add_library(wasmops_${name} STATIC ${L_SOURCES})
  target_include_directories(wasmops_${name} PUBLIC ${inc})
  target_link_libraries(wasmops_${name} PUBLIC wasmops_options ${L_DEPS})
endfunction()
