# Embeds a file into a C source as a byte array (used for the demo world's built-in
# configuration, sim/peru.json). Run as: cmake -DIN=file -DOUT=file.c -DNAME=symbol -P embed.cmake
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" n)
math(EXPR len "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE ${OUT}.tmp
    "/* Generated at build time from ${IN}. Do not edit. */\n"
    "#include <stddef.h>\n"
    "extern const unsigned char ${NAME}[];\n"
    "extern const size_t ${NAME}_len;\n"
    "const unsigned char ${NAME}[] = {${bytes}0x00};\n"
    "const size_t ${NAME}_len = ${len};\n")
file(RENAME ${OUT}.tmp ${OUT})
