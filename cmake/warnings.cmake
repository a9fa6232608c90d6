# The warning profile (C-STYLE habit 18). -Wconversion applies to the modules where
# bit, byte and length arithmetic lives (see vigia_parser_warnings); everywhere else the
# base set applies. VIGIA_WERROR turns them into errors, as CI does.
set(VIGIA_WARNINGS
    -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
    -Wold-style-definition -Wpointer-arith -Wwrite-strings -Wformat=2
    -Wvla -Wundef -Wimplicit-fallthrough -fno-common)
if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
    # Fixed message buffers truncate on purpose (snprintf), so this one stays off (GCC's
    # own: clang, which builds the fuzz targets, has no such warning and would warn about
    # the option on every file).
    list(APPEND VIGIA_WARNINGS -Wno-format-truncation)
endif()
if(VIGIA_WERROR)
    list(APPEND VIGIA_WARNINGS -Werror)
endif()
set(VIGIA_CONVERSION_WARNINGS -Wconversion -Wno-sign-conversion)
