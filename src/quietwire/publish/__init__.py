"""quietwire.publish"""
