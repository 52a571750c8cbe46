# aarch64-linux-gnu.cmake - CMake toolchain file: build wasmrt for AArch64 Linux on an x86-64
# Debian host, and run its tests under qemu-user.
#
#   cmake -S . -B build/aarch64 -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake
#
# Needs (scripts/install-deps.sh): gcc-aarch64-linux-gnu, libc6-dev-arm64-cross, qemu-user and the
# arm64 builds of the libraries from Debian multiarch (libcmocka-dev:arm64, libseccomp-dev:arm64,
# libsodium-dev:arm64, libzstd-dev:arm64), which live in /usr/lib/aarch64-linux-gnu.

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

# Where find_library, find_path and find_package look: the cross C library's root, then the host
# root, where CMAKE_LIBRARY_ARCHITECTURE selects the multiarch directories lib/aarch64-linux-gnu.
# The x86-64 directories are ignored outright, so an x86-64 library can never be picked even
# when its arm64 twin is missing (the configure step fails instead).
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(CMAKE_IGNORE_PATH
    /usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu /usr/lib64 /lib64 /usr/local/lib
    /usr/lib/x86_64-linux-gnu/cmake /usr/lib/x86_64-linux-gnu/pkgconfig)

# pkg-config (FindPkgConfig) reads only the arm64 .pc files. The paths they contain are the
# host's own (/usr/include, /usr/lib/aarch64-linux-gnu), so no sysroot prefix is added.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "")

# add_test() commands that name an executable target, and try_run(), go through qemu. The -L
# prefix holds the AArch64 dynamic loader and C library; libraries that are not there (the
# multiarch ones) are found by the loader in /usr/lib/aarch64-linux-gnu.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /usr/aarch64-linux-gnu)
