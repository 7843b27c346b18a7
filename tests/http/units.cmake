# Unit tests of the HTTP host's pure parts (included from CMakeLists.txt, so
# paths are spelled from this folder): CGI environment and argv, CGI response
# parsing, admission control, the message helpers. Names start with `http.`.
wasmops_unit_test(http_tests PREFIX http.
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/AdmissionTest.cpp ${CMAKE_CURRENT_SOURCE_DIR}/CgiEnvironmentTest.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/CgiResponseTest.cpp ${CMAKE_CURRENT_SOURCE_DIR}/HttpMessageTest.cpp
  DEPS wasmops_http Threads::Threads)

# The key-value and variables host interfaces of Spin components (KeyValueInterfaces, VariableInterfaces),
# called with component Values; results checked against their WIT types.
wasmops_unit_test(http_host_interface_tests PREFIX http.
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/HostInterfacesTest.cpp
  DEPS wasmops_http)

# A real component (tests/data/components/kv_counter.wat, assembled by jco) keeping a counter in the
# key-value store across two instances (kv_component_test.py drives KvComponentCheck.cpp).
add_executable(kv_component_check ${CMAKE_CURRENT_SOURCE_DIR}/KvComponentCheck.cpp)
target_link_libraries(kv_component_check PRIVATE wasmops_http)
add_test(NAME http.kv_component
  COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/kv_component_test.py
    --checker $<TARGET_FILE:kv_component_check> --work ${CMAKE_CURRENT_BINARY_DIR}/kv-component)
set_tests_properties(http.kv_component PROPERTIES TIMEOUT 120 SKIP_RETURN_CODE 77)
