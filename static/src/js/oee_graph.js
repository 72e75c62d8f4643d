odoo.define('shopfloor_mes.oee_graph', function (require) {
"use strict";
/**
 * The OEE graph with its target: a dashed line at the target OEE (the work centers' average
 * target, sent by the OEE window in its context as mes_oee_target) over the line or bar chart
 * of OEE. Odoo 11's graph draws no reference line of its own, and its graph view accepts no
 * js_class: the renderer is extended, and acts only on a graph of the measure oee whose
 * context carries a target.
 */
var GraphRenderer = require('web.GraphRenderer');

GraphRenderer.include({
    _renderLineChart: function () {
        return this._mesWithTarget(this._super.apply(this, arguments));
    },
    _renderBarChart: function () {
        return this._mesWithTarget(this._super.apply(this, arguments));
    },
    /**
     * Draw the target on ``chart`` (nvd3) once it is drawn, and again after each redraw.
     */
    _mesWithTarget: function (chart) {
        var target = this.state.context && this.state.context.mes_oee_target;
        if (!chart || !target || this.state.measure !== 'oee') {
            return chart;
        }
        var self = this;
        var draw = function () { self._mesDrawTarget(chart, target); };
        if (chart.dispatch && chart.dispatch.renderEnd) {
            chart.dispatch.on('renderEnd.mes_target', draw);
        }
        draw();
        return chart;
    },
    _mesDrawTarget: function (chart, target) {
        var svg = d3.select(this.$el[0]).select('svg');
        var inner = svg.select('.nv-wrap > g');
        if (inner.empty()) {
            return;
        }
        var yScale = chart.yAxis.scale();
        var domain = yScale.domain();
        if (target > domain[1]) {   // let the target show: stretch the axis up to it
            chart.forceY && chart.forceY([0, target * 1.05]);
            chart.dispatch.on('renderEnd.mes_target', null);
            chart.update();
            chart.dispatch.on('renderEnd.mes_target', this._mesDrawTarget.bind(this, chart, target));
            yScale = chart.yAxis.scale();
        }
        var range = chart.xAxis.scale().range();
        var width = chart.xAxis.scale().rangeExtent ? chart.xAxis.scale().rangeExtent()[1] : range[range.length - 1];
        var y = yScale(target);
        inner.selectAll('.o_mes_target').remove();
        var group = inner.append('g').attr('class', 'o_mes_target');
        group.append('line').attr('class', 'o_mes_target_line')
            .attr('x1', 0).attr('x2', width).attr('y1', y).attr('y2', y)
            .style('stroke', '#dc3545').style('stroke-width', 2).style('stroke-dasharray', '6,4');
        group.append('text').attr('class', 'o_mes_target_label')
            .attr('x', width).attr('y', y - 4).attr('text-anchor', 'end')
            .style('fill', '#dc3545').style('font-size', '12px')
            .text('Target ' + Math.round(target * 10) / 10 + ' %');
    },
});

});
