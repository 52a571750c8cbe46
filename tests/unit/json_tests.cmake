# The CLI's JSON parser (cli/json.c), tested on its own: it is not part of
# libwasmrt, so the test compiles the source file directly.
find_library(CMOCKA_LIB cmocka REQUIRED)
add_executable(test_json unit/test_json.c ${CMAKE_SOURCE_DIR}/cli/json.c)
target_include_directories(test_json PRIVATE ${CMAKE_SOURCE_DIR})
target_link_libraries(test_json PRIVATE ${CMOCKA_LIB})
add_test(NAME unit_json COMMAND ${CMAKE_CROSSCOMPILING_EMULATOR} $<TARGET_FILE:test_json>)
