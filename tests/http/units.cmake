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

