# Compares the dynamic symbols a library defines with a checked-in list.
#   cmake -DNM=nm -DLIBRARY=libplacedef_c.so -DEXPECTED=exported_symbols.txt -P check_symbols.cmake
# To accept a deliberate change of the C ABI, regenerate the list with
#   nm -D --defined-only libplacedef_c.so | awk '{print $3}' | sort > exported_symbols.txt
execute_process(COMMAND ${NM} -D --defined-only ${LIBRARY} OUTPUT_VARIABLE listing RESULT_VARIABLE failed)
if(failed)
  message(FATAL_ERROR "${NM} failed on ${LIBRARY}")
endif()
string(REGEX MATCHALL "[^\n]+" lines "${listing}")
set(actual)
foreach(line IN LISTS lines)
  string(REGEX REPLACE "^.* " "" symbol "${line}")
  list(APPEND actual ${symbol})
endforeach()
file(STRINGS ${EXPECTED} expected REGEX "^[^#]")
list(SORT actual)
list(SORT expected)
set(added ${actual})
list(REMOVE_ITEM added ${expected})
set(removed ${expected})
list(REMOVE_ITEM removed ${actual})
if(added OR removed)
  string(REPLACE ";" "\n  " added_text "${added}")
  string(REPLACE ";" "\n  " removed_text "${removed}")
  message(FATAL_ERROR "the exported symbols of ${LIBRARY} differ from ${EXPECTED}\n"
                      "added:\n  ${added_text}\nremoved:\n  ${removed_text}\n"
                      "(a removed symbol breaks the C ABI; an added one needs @since and a new entry)")
endif()
list(LENGTH actual count)
message(STATUS "${count} exported symbols match ${EXPECTED}")
