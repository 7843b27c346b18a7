# Prometheus checks of `wasmops up --admin` (included from CMakeLists.txt here,
# which sets the label `http` and finds Python3).

# End to end: the hello-wagi example (built by the ALL target
# example_hello_wagi) served on free loopback ports, a few requests, then
# `promtool check metrics` on /metrics, the exact counter and histogram values,
# the health endpoints, and a real `prometheus` scraping the admin listener
# every second and answering /api/v1/query with the same values. Skipped (77)
# when promtool or prometheus is not installed (Debian: prometheus).
add_test(NAME http.prometheus
  COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/prometheus_test.py --wasmops $<TARGET_FILE:wasmops>
    --app ${PROJECT_BINARY_DIR}/examples/hello-wagi)
set_tests_properties(http.prometheus PROPERTIES LABELS http TIMEOUT 180 SKIP_RETURN_CODE 77)

# The example Grafana dashboard names only metrics the host exports
# (src/ops/HostMetrics.h), and its expressions parse as PromQL.
add_test(NAME http.dashboard_names
  COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/dashboard_names_test.py
    --dashboard ${PROJECT_SOURCE_DIR}/examples/observability/grafana-dashboard.json
    --host-metrics ${PROJECT_SOURCE_DIR}/src/ops/HostMetrics.h)
set_tests_properties(http.dashboard_names PROPERTIES LABELS http TIMEOUT 60)
