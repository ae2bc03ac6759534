module github.com/segmap/segmap/bench/load

go 1.26
