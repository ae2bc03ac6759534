module segmapbench/tools

go 1.26
