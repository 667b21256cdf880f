// The 民意热点 charts: a horizontal bar chart of the top hot words and a word cloud, from the
// JSON the page embeds (#hot-chart-data). Both resize with the window (phones rotate).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("hot-chart-data").textContent);
  var charts = [];
  var bar = document.getElementById("hot-bar");
  if (bar && data.bar.length) {
    var rows = data.bar.slice().reverse();
    var chart = echarts.init(bar, null, { renderer: "canvas" });
    chart.setOption({
      grid: { left: 8, right: 36, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", minInterval: 1, name: "件" },
      yAxis: { type: "category", data: rows.map(function (r) { return r[0]; }) },
      series: [{
        type: "bar",
        name: "提及件数",
        data: rows.map(function (r) { return r[1]; }),
        itemStyle: { color: "#c0392b" },
        label: { show: true, position: "right" }
      }]
    });
    charts.push(chart);
  }
  var cloud = document.getElementById("hot-cloud");
  if (cloud && data.cloud.length) {
    var colors = ["#c0392b", "#d35400", "#8e44ad", "#2c3e50", "#16a085", "#b03a2e"];
    var chart2 = echarts.init(cloud, null, { renderer: "canvas" });
    chart2.setOption({
      tooltip: { formatter: function (p) { return p.name + "：" + p.value + "件"; } },
      series: [{
        type: "wordCloud",
        shape: "circle",
        gridSize: 6,
        sizeRange: [12, 44],
        rotationRange: [0, 0],
        width: "100%",
        height: "100%",
        textStyle: {
          color: function (p) { return colors[p.dataIndex % colors.length]; }
        },
        data: data.cloud
      }]
    });
    charts.push(chart2);
  }
  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
})();
