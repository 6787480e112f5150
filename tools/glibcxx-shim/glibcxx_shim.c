/* libLibTorchSharp.so (TorchSharp 0.107) references std::ios_base_library_init()
 * from GLIBCXX_3.4.32 (GCC 13). Older libstdc++ (Debian 12, Ubuntu 22.04) lacks it
 * but initialises iostreams in its own constructor, so the call can do nothing.
 * Built and linked in only where the system libstdc++ lacks that version. */
void _ZSt21ios_base_library_initv(void) {}
