# VIGIA_SANITIZE=address,undefined builds everything with the named sanitizers and makes
# every report fatal (-fno-sanitize-recover=all), as .ci/run does.
if(VIGIA_SANITIZE)
    add_compile_options(-fsanitize=${VIGIA_SANITIZE} -fno-sanitize-recover=all
                        -fno-omit-frame-pointer)
    add_link_options(-fsanitize=${VIGIA_SANITIZE})
endif()
