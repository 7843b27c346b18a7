# Unit tests of the HTTP host's pure parts (included from CMakeLists.txt, so
# paths are spelled from this folder): CGI environment and argv, CGI response
# parsing, admission control, the message helpers. Names start with `http.`.
wasmops_unit_test(http_tests PREFIX http.
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/AdmissionTest.cpp ${CMAKE_CURRENT_SOURCE_DIR}/CgiEnvironmentTest.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/CgiResponseTest.cpp ${CMAKE_CURRENT_SOURCE_DIR}/HttpMessageTest.cpp
  DEPS wasmops_http Threads::Threads)
